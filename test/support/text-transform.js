// Jest transform for `.sh` and `.py` imports: the module's default export is the file's text, byte for byte, exactly as
// esbuild's text loader bundles it for `npm run synth`. The file is read again from disk because jest hands
// transformers the source with its shebang line removed (and keys its cache on that stripped text).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

module.exports = {
  getCacheKey(_sourceText, sourcePath) {
    return createHash('sha256').update('text-transform-1\0').update(readFileSync(sourcePath)).digest('hex');
  },
  process(_sourceText, sourcePath) {
    return { code: `module.exports = { __esModule: true, default: ${JSON.stringify(readFileSync(sourcePath, 'utf8'))} };` };
  },
};
