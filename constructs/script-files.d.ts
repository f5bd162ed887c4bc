/**
 * Shell scripts are real `.sh` files beside the TypeScript that parameterises them, as is the one Python file (the
 * emulator's start-up hook, rehearse/moto-sitecustomize.py); a default import yields the file's text. esbuild bundles
 * them with `--loader:.sh=text --loader:.py=text`, jest reads them through test/support/text-transform.js.
 */
declare module '*.sh' {
  const text: string;
  export default text;
}
declare module '*.py' {
  const text: string;
  export default text;
}
