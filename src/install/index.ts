/** Installing workos and python-dotenv with the project's package manager, and checking they import. */
export { AUTHKIT_MODULES, AUTHKIT_PACKAGES } from './packages.js';
export { type InstallCommand, type InstallCommandOptions, installCommand } from './command.js';
export {
  DEFAULT_INSTALL_TIMEOUT_MS,
  type InstallOptions,
  type InstallResult,
  type InstallStatus,
  installPackages,
} from './install.js';
export { type CheckImportsOptions, type ImportReport, type ModuleImport, checkImports } from './check-imports.js';
