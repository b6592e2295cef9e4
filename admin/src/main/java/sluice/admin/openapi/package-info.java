/**
 * The OpenAPI 3.1 document at {@code /api/openapi.json}, generated from the live router: its paths
 * and methods are exactly the registered routes, each described by an {@link
 * sluice.admin.openapi.Operation} from a hand-kept table, its schemas derived from the Java records the
 * routes read and answer, so the document cannot drift from the code. Input: the router's routes and
 * the table; output: the JSON document. Failure mode: a route missing from the table is still listed
 * (summary "Undocumented") and fails {@code OpenApiDocumentTest}, which is how it gets documented.
 */
package sluice.admin.openapi;
