/**
 * Code generation, safe by type: see code.ts (what a Code is), scope.ts (names and bound values),
 * property.ts (property reads) and kernel.ts (the one call of `new Function`).
 */
export { Code, Name, code, join, isCode, type Literal, type Splice } from './code.js';
export { Scope } from './scope.js';
export { property, element, isIdentifier, objectLiteral } from './property.js';
export { compileKernel, type Kernel } from './kernel.js';
