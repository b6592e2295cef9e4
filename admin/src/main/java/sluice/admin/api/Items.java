package sluice.admin.api;

import java.util.List;

/** A list response. An object rather than a bare array, so paging fields can be added later. */
record Items<T>(List<T> items) {
    Items {
        items = List.copyOf(items);
    }
}
