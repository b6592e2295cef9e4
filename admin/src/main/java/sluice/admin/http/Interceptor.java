package sluice.admin.http;

/**
 * Code around every matched route's handler, e.g. the audit log, which records a change once it has
 * succeeded. Implementations call {@code handler} exactly once (or throw) and return its response.
 */
@FunctionalInterface
public interface Interceptor {

    Response around(Router.Route route, Request request, Handler handler);

    Interceptor NONE = (route, request, handler) -> handler.handle(request);
}
