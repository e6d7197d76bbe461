/** The Python packages the generated code needs: the WorkOS SDK and the .env loader. */
export const AUTHKIT_PACKAGES: readonly string[] = ['workos', 'python-dotenv'];

/** The modules those packages provide, in the same order: what `checkImports` imports. */
export const AUTHKIT_MODULES: readonly string[] = ['workos', 'dotenv'];
