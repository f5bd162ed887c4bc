/**
 * Shell scripts are real `.sh` files beside the TypeScript that parameterises them; a default import yields the
 * file's text. esbuild bundles them with `--loader:.sh=text`, jest reads them through test/support/text-transform.js.
 */
declare module '*.sh' {
  const text: string;
  export default text;
}
