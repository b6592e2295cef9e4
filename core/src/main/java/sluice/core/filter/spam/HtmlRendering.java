package sluice.core.filter.spam;

import java.util.List;
import java.util.Set;

/**
 * An HTML part reduced to what a reader sees plus what a spammer hides: visible text, links with
 * their anchor text, image count, tag names used, and how many plain ASCII letters or digits were
 * written as numeric character references (a classic way to dodge word filters).
 */
record HtmlRendering(String text, List<Link> links, int images, Set<String> tags, int asciiEntities) {
}
