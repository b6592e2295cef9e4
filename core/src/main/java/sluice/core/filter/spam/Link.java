package sluice.core.filter.spam;

/**
 * A hyperlink found in a message: its target and, for HTML anchors, the text shown to the reader
 * (empty for bare URLs in plain text and for image sources).
 */
record Link(String href, String text) {
}
