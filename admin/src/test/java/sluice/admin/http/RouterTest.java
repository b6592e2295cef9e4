package sluice.admin.http;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    private static final Handler NOOP = r -> Response.noContent();

    @Test
    void aLiteralSegmentWinsOverAParameterWhateverTheOrder() {
        Handler summary = r -> Response.ok("summary");
        Router router = new Router().add("GET", "/q/{id}", NOOP).add("GET", "/q/summary", summary);

        var match = (Router.Match.Found) router.match("GET", "/q/summary");

        assertThat(match.route().pattern()).isEqualTo("/q/summary");
        assertThat(((Router.Match.Found) router.match("GET", "/q/ABC")).params()).isEqualTo(Map.of("id", "ABC"));
    }

    @Test
    void aPathThatExistsForOtherMethodsListsThem() {
        Router router = new Router().add("GET", "/a/{id}", NOOP).add("DELETE", "/a/{id}", NOOP).add("POST", "/a/{id}/retry", NOOP);

        assertThat(router.match("PUT", "/a/1")).isEqualTo(new Router.Match.WrongMethod(Set.of("DELETE", "GET")));
        assertThat(router.match("GET", "/b/1")).isEqualTo(new Router.Match.NoRoute());
    }

    @Test
    void parametersArePercentDecodedAfterSplittingSoAnEncodedSlashStaysInside() {
        Router router = new Router().add("GET", "/a/{id}", NOOP);

        var match = (Router.Match.Found) router.match("GET", "/a/x%2Fy+z");

        assertThat(match.params()).isEqualTo(Map.of("id", "x/y+z"));
        assertThat(router.match("GET", "/a/%zz")).isEqualTo(new Router.Match.NoRoute());
    }

    @Test
    void duplicateRoutesAreAProgrammingError() {
        assertThatThrownBy(() -> new Router().add("GET", "/a", NOOP).add("GET", "/a", NOOP))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
