/**
 * PFA namespace `a`: array functions. The definitions live in `a/`, grouped by theme; their
 * behaviour follows the specification and, where it is silent, the reference engine Titus.
 */
import { defineLibrary } from './define.js';
import { access } from './a/access.js';
import { search } from './a/search.js';
import { order } from './a/order.js';
import { numeric } from './a/numeric.js';
import { sets } from './a/sets.js';
import { functional } from './a/functional.js';
import { restructure } from './a/restructure.js';

export default defineLibrary('a', { ...access, ...search, ...order, ...numeric, ...sets, ...functional, ...restructure });
