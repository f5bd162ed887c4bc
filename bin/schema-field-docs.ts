/**
 * The spec's types are inferred from zod schemas (`z.input<typeof environmentSpecSchema>`), and TypeScript's
 * declaration emit prints an inferred type without the TSDoc of its properties: in the published `.d.ts`,
 * `cpu: z.ZodOptional<z.ZodNumber>;` has lost the `/** vCPUs per node ... *\/` the source gives it, so a consumer's
 * hover over `kafka.brokers.size.cpu` in their `environments/<env>.ts` would show nothing.
 *
 * This puts the docs back. The emitted type of each schema constant is walked together with the checker's type of the
 * same constant in the sources: every property of a printed object type that the sources document gets that doc, on
 * the property's own line, so no line moves and the declaration map stays true.
 */
import * as ts from 'typescript';

/** A comment to insert before the property that starts at `position` of the declaration text. */
interface Insertion {
  readonly position: number;
  readonly comment: string;
}

/** The doc of a property as one line (`/** Summary. @default 3 *\/`), or undefined when the sources give none. */
function oneLineDoc(property: ts.Symbol): string | undefined {
  const declaration = property.valueDeclaration ?? property.declarations?.[0];
  if (!declaration) return undefined;
  // The public getJSDoc* helpers skip property assignments of object literals; the parser attaches them anyway.
  const docs = (declaration as ts.Node & { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  const last = docs.at(-1);
  if (!last) return undefined;
  const body = last
    .getText()
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trim())
    .filter((line) => line !== '')
    .join(' ');
  return body === '' ? undefined : `/** ${body.replace(/\*\//g, '*\\/')} */ `;
}

/** The type arguments of `type` that the printed reference `node` (`z.ZodOptional<X>`) spells out. */
function typeArgumentsOf(node: ts.TypeReferenceNode, type: ts.Type, checker: ts.TypeChecker): readonly ts.Type[] {
  const written = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
  if (type.aliasSymbol?.name === written && type.aliasTypeArguments) return type.aliasTypeArguments;
  if ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) return checker.getTypeArguments(type as ts.TypeReference);
  return [];
}

function collect(node: ts.TypeNode, type: ts.Type, checker: ts.TypeChecker, declarations: ts.SourceFile, out: Insertion[]): void {
  // `(X)` and `readonly [A, B]` (a `z.union`'s options) print the same type as what they wrap.
  if (ts.isParenthesizedTypeNode(node) || ts.isTypeOperatorNode(node)) return collect(node.type, type, checker, declarations, out);
  if (ts.isTypeLiteralNode(node)) {
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || member.type === undefined) continue;
      const name = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : undefined;
      const property = name === undefined ? undefined : checker.getPropertyOfType(type, name);
      if (!property) continue;
      const doc = oneLineDoc(property);
      if (doc && ts.getJSDocCommentsAndTags(member).length === 0) out.push({ position: member.getStart(declarations), comment: doc });
      collect(member.type, checker.getTypeOfSymbol(property), checker, declarations, out);
    }
    return;
  }
  if (ts.isTypeReferenceNode(node) && node.typeArguments) {
    const args = typeArgumentsOf(node, type, checker);
    node.typeArguments.forEach((argument, index) => {
      const argumentType = args[index];
      if (argumentType) collect(argument, argumentType, checker, declarations, out);
    });
    return;
  }
  if (ts.isTupleTypeNode(node) && checker.isTupleType(type)) {
    const elements = checker.getTypeArguments(type as ts.TypeReference);
    node.elements.forEach((element, index) => {
      const elementType = elements[index];
      if (elementType) collect(ts.isNamedTupleMember(element) ? element.type : element, elementType, checker, declarations, out);
    });
    return;
  }
  if (ts.isFunctionTypeNode(node)) {
    const signature = type.getCallSignatures()[0];
    if (signature) collect(node.type, signature.getReturnType(), checker, declarations, out);
  }
}

/**
 * `declarationText` (the emitted `.d.ts` of `source`) with the TSDoc of every schema field `source` documents put
 * back on the printed properties of its constants' types. Everything else is left exactly as it was.
 */
export function withSchemaFieldDocs(declarationText: string, source: ts.SourceFile, checker: ts.TypeChecker): string {
  const declarations = ts.createSourceFile(`${source.fileName}.d.ts`, declarationText, ts.ScriptTarget.Latest, true);
  const constants = new Map<string, ts.VariableDeclaration>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name)) constants.set(declaration.name.text, declaration);
    }
  }
  const insertions: Insertion[] = [];
  for (const statement of declarations.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const original = ts.isIdentifier(declaration.name) ? constants.get(declaration.name.text) : undefined;
      if (!original || !declaration.type) continue;
      collect(declaration.type, checker.getTypeAtLocation(original.name), checker, declarations, insertions);
    }
  }
  let text = declarationText;
  for (const { position, comment } of [...insertions].sort((a, b) => b.position - a.position)) {
    text = `${text.slice(0, position)}${comment}${text.slice(position)}`;
  }
  return text;
}
