// @ts-check
'use strict';
/**
 * TypeDoc plugin (typedoc.json `plugin`): the config types are inferred from the schema nodes of
 * config/schema.ts (flux/schema-infer.ts), so a config field's declaration is a property of a node's
 * `properties`, without a doc comment: its doc is the node's `description`. The helpers and `node()`
 * keep descriptions as string literal types, so the checker reads them here, with the `format` hint and
 * the `default` the JSON Schema shows too (flux/schema.ts toJsonSchema). A field with a doc comment of
 * its own keeps it.
 */
const ts = require('typescript');
const { Comment, Converter, DeclarationReflection, ReflectionKind } = require('typedoc');

/** The literal value of property `name` of `type`, when its type is a literal. @param {ts.TypeChecker} checker @param {ts.Type} type @param {string} name */
function literal(checker, type, name) {
  const symbol = type.getProperty(name);
  if (!symbol) return undefined;
  const t = checker.getNonNullableType(checker.getTypeOfSymbol(symbol));
  if (t.isStringLiteral() || t.isNumberLiteral()) return { value: t.value };
  if (t.flags & ts.TypeFlags.BooleanLiteral) return { value: checker.typeToString(t) === 'true' };
  return undefined;
}

/** @param {import('typedoc').Application} app */
exports.load = function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Property)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const declaration = symbol?.declarations?.find((d) => ts.isPropertyAssignment(d) && d.getSourceFile().fileName.endsWith('config/schema.ts'));
    if (!declaration) return;
    const node = context.checker.getTypeAtLocation(declaration);
    const description = literal(context.checker, node, 'description');
    const format = literal(context.checker, node, 'format');
    const dflt = literal(context.checker, node, 'default');
    // The initializer is the node, not a value of the field: TypeDoc would show it as `= ...`.
    reflection.defaultValue = dflt === undefined ? undefined : JSON.stringify(dflt.value);
    if (reflection.comment) return;
    const text = [description?.value, format && `Expected: ${format.value}.`].filter(Boolean).join(' ');
    if (text) reflection.comment = new Comment([{ kind: 'text', text }]);
  });
  // The fields come from `Infer<typeof node>`, an implementation detail: not "Inherited from Infer.name".
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      if (reflection instanceof DeclarationReflection && reflection.inheritedFrom?.name.startsWith('Infer.')) reflection.inheritedFrom = undefined;
    }
  });
};
