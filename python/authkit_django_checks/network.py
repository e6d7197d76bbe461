"""The guard that keeps the checks off the network while project code runs."""

import socket


class NetworkBlocked(Exception):
    pass


class NoNetwork:
    """Refuses connections to anything but this machine while project code runs for a
    check: the login view must build its URL without calling WorkOS, and a check must
    never reach the internet. Local databases and caches keep working."""

    LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "", None})

    def __enter__(self):
        self._connect = socket.socket.connect
        self._connect_ex = socket.socket.connect_ex
        self._getaddrinfo = socket.getaddrinfo
        guard = self

        def is_local(host):
            if host in guard.LOCAL_NAMES:
                return True
            return isinstance(host, str) and (
                host.startswith("127.") or host.endswith(".localhost")
            )

        def check_address(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(
                address[0]
            ):
                host, port = address[:2]
                raise NetworkBlocked(
                    f"a check tried to connect to {host}:{port}; verification never "
                    "uses the network"
                )

        def connect(sock, address):
            check_address(sock, address)
            return guard._connect(sock, address)

        def connect_ex(sock, address):
            check_address(sock, address)
            return guard._connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            if not is_local(host):
                raise NetworkBlocked(
                    f"a check tried to look up {host}; verification never uses the "
                    "network"
                )
            return guard._getaddrinfo(host, *args, **kwargs)

        socket.socket.connect = connect
        socket.socket.connect_ex = connect_ex
        socket.getaddrinfo = getaddrinfo
        return self

    def __exit__(self, *exc_info):
        socket.socket.connect = self._connect
        socket.socket.connect_ex = self._connect_ex
        socket.getaddrinfo = self._getaddrinfo
        return False
