/**
 * The documentation gaps of the package's public API, found with the TypeScript compiler API: every symbol an
 * entry point of `package.json#exports` exports needs a TSDoc summary; every member of an exported interface,
 * class or object type needs one too, and every optional member an `@default` tag saying what happens without it.
 */
import { dirname, relative } from 'node:path';
import * as ts from 'typescript';

export interface DocGap {
  /** `file:line`, relative to the repository. */
  readonly where: string;
  /** The symbol, `Owner.member` for members. */
  readonly symbol: string;
  readonly problem: 'no TSDoc' | 'optional without @default';
}

function hasDoc(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
}

function hasDefaultTag(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'default' || tag.tagName.text === 'defaultValue');
}

function isOptional(declaration: ts.Declaration): boolean {
  return (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isMethodSignature(declaration)) &&
    declaration.questionToken !== undefined;
}

function isPublicMember(declaration: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  const name = ts.getNameOfDeclaration(declaration);
  return !(name && ts.isPrivateIdentifier(name));
}

/** Members a declaration itself declares (inherited ones are documented where they are declared). */
function ownMembers(declaration: ts.Declaration): readonly ts.Declaration[] {
  if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
    return (declaration.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>).filter(
      (member) => !ts.isConstructorDeclaration(member) && !ts.isIndexSignatureDeclaration(member) && member.name !== undefined,
    );
  }
  if (ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type)) {
    return declaration.type.members.filter((member) => member.name !== undefined);
  }
  return [];
}

/** Every gap of the modules exported by `entryPoints` (source files of the program). */
export function publicApiDocGaps(program: ts.Program, entryPoints: readonly string[], repoRoot: string): DocGap[] {
  const checker = program.getTypeChecker();
  const gaps = new Map<string, DocGap>();
  const where = (node: ts.Node) => {
    const source = node.getSourceFile();
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    return `${relative(repoRoot, source.fileName)}:${line}`;
  };
  const ours = (node: ts.Node) => !relative(repoRoot, node.getSourceFile().fileName).startsWith('..') &&
    !node.getSourceFile().fileName.includes('/node_modules/');
  const add = (gap: DocGap) => gaps.set(`${gap.where} ${gap.symbol} ${gap.problem}`, gap);

  for (const entry of entryPoints) {
    const source = program.getSourceFile(entry);
    if (!source) throw new Error(`entry point ${entry} is not part of the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        if (!ours(declaration)) continue;
        if (!hasDoc(symbol, checker)) add({ where: where(declaration), symbol: symbol.name, problem: 'no TSDoc' });
        for (const member of ownMembers(declaration)) {
          if (!isPublicMember(member)) continue;
          const memberSymbol = (member as ts.Declaration & { symbol?: ts.Symbol }).symbol;
          const name = `${symbol.name}.${ts.getNameOfDeclaration(member)?.getText() ?? '?'}`;
          if (!memberSymbol || !hasDoc(memberSymbol, checker)) add({ where: where(member), symbol: name, problem: 'no TSDoc' });
          if (isOptional(member) && !hasDefaultTag(member)) add({ where: where(member), symbol: name, problem: 'optional without @default' });
        }
      }
    }
  }
  return [...gaps.values()].sort((a, b) => a.where.localeCompare(b.where, 'en', { numeric: true }));
}

/** A program over the package's sources, with the build configuration's settings. */
export function packageProgram(tsconfigPath: string): ts.Program {
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath));
  return ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
}
