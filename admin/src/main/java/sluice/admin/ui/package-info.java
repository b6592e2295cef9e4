/**
 * The web admin center: static HTML, CSS and JavaScript modules served from the classpath
 * ({@code sluice/admin/ui/}) on the admin port, at {@code /} and {@code /ui/...}. No build step and
 * nothing from elsewhere: the page policy ({@code default-src 'self'}) forbids inline script, inline
 * style and other origins. The pages talk to the REST API with the browser session and its CSRF
 * token; the API, not the page, enforces roles and scope.
 *
 * <p>Input: the file name in the path; output: the file with its content type. Failure modes: a
 * name that is not one of the bundled files is a 404 problem.
 */
package sluice.admin.ui;
