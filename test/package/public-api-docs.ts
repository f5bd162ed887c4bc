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
  return (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isMethodSignature(declaration) ||
    ts.isParameter(declaration)) && declaration.questionToken !== undefined;
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
    const members = (declaration.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>).filter(
      (member) => !ts.isConstructorDeclaration(member) && !ts.isIndexSignatureDeclaration(member) && member.name !== undefined,
    );
    // `constructor(readonly problems: Problem[])` declares a property too.
    const parameterProperties = declaration.members
      .filter(ts.isConstructorDeclaration)
      .flatMap((constructor) => constructor.parameters.filter((parameter) => ts.isParameterPropertyDeclaration(parameter, constructor)));
    return [...members, ...parameterProperties];
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

/**
 * A program over the package's own sources, with the build configuration's settings. Only those: `noResolve` keeps
 * the third-party declarations they import (cdktf, the AWS provider, cdk8s-plus-27, @types/node: two thirds of the
 * files and of the parse time) out of it, because every doc checked here is ours. Imports between our sources still
 * resolve (each is a root file); a symbol re-exported from a third party, which the walk skips anyway, resolves to
 * nothing; a member that only inherits a third party's doc would count as undocumented.
 */
export function packageProgram(tsconfigPath: string): ts.Program {
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath));
  return ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true, noResolve: true, types: [] });
}

/** The method names of a call chain, outermost first: `z.string().regex(r).optional()` -> optional, regex, string. */
function chainMethods(expression: ts.Expression): string[] {
  const names: string[] = [];
  let current: ts.Expression = expression;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    names.push(current.expression.name.text);
    current = current.expression.expression;
  }
  return names;
}

/** Methods that make a zod field optional in what users write (`z.input`). */
const OPTIONAL_IN_INPUT = ['optional', 'default', 'prefault', 'nullish'];

/**
 * Whether a schema field may be left out: its chain ends in `.optional()`, `.default(...)` or `.prefault(...)`, or
 * it starts from a constant (`monitoring: monitoringSchema`, `port.default(9404)`) whose own chain does.
 */
function isOptionalInInput(initializer: ts.Expression, checker: ts.TypeChecker, seen = new Set<ts.Node>()): boolean {
  if (chainMethods(initializer).some((method) => OPTIONAL_IN_INPUT.includes(method))) return true;
  let root: ts.Expression = initializer;
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression)) root = root.expression.expression;
  if (!ts.isIdentifier(root) || seen.has(root)) return false;
  seen.add(root);
  const declaration = checker.getSymbolAtLocation(root)?.valueDeclaration;
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined &&
    isOptionalInInput(declaration.initializer, checker, seen);
}

/**
 * The spec is written as zod schemas, whose fields are properties of object literals, not of declared types, so they
 * are checked in the source (the build carries their docs into the `.d.ts`, bin/schema-field-docs.ts): every field of
 * a `z.strictObject({...})`/`z.object({...})`/`.extend({...})` needs TSDoc, and every field a user may leave out
 * (`.optional()`, `.default(...)`, `.prefault(...)`) an `@default` tag.
 */
export function schemaFieldDocGaps(program: ts.Program, files: readonly string[], repoRoot: string): DocGap[] {
  const checker = program.getTypeChecker();
  const gaps: DocGap[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not part of the program`);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ['strictObject', 'object', 'extend'].includes(node.expression.name.text) &&
        node.arguments[0] !== undefined &&
        ts.isObjectLiteralExpression(node.arguments[0])
      ) {
        for (const property of node.arguments[0].properties) {
          if (!ts.isPropertyAssignment(property)) continue;
          const name = property.name.getText(source);
          // A discriminant (`kind: z.literal('vm')`) documents itself; its union carries the TSDoc.
          if (chainMethods(property.initializer).at(-1) === 'literal') continue;
          // The public getJSDoc* helpers skip property assignments of object literals; the parser attaches them anyway.
          const docs = (property as ts.PropertyAssignment & { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
          const summary = docs.some((doc) => ts.getTextOfJSDocComment(doc.comment)?.trim());
          const where = `${relative(repoRoot, file)}:${source.getLineAndCharacterOfPosition(property.getStart(source)).line + 1}`;
          if (!summary) gaps.push({ where, symbol: `spec field ${name}`, problem: 'no TSDoc' });
          const optional = isOptionalInInput(property.initializer, checker);
          if (optional && !docs.some((doc) => doc.tags?.some((tag) => tag.tagName.text === 'default'))) {
            gaps.push({ where, symbol: `spec field ${name}`, problem: 'optional without @default' });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return gaps;
}
