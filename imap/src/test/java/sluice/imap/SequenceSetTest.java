package sluice.imap;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A sequence set is resolved once per command into sorted, separate ranges and looked up by binary search. */
class SequenceSetTest {

    @Test
    void entriesInAnyOrderOverlappingOrRepeatedBecomeSeparateAscendingRanges() {
        SequenceSet.Resolved r = SequenceSet.parse("5,1:3,2,*,10:8,3,4,1,1,1").resolve(12);
        assertThat(r.lows()).containsExactly(1, 8, 12);
        assertThat(r.highs()).containsExactly(5, 10, 12);
        assertThat(LongStream.rangeClosed(0, 14).filter(r::contains).toArray()).containsExactly(1, 2, 3, 4, 5, 8, 9, 10, 12);
    }

    @Test
    void starIsTheLargestNumberAndARangePastItStillContainsIt() {
        SequenceSet.Resolved r = SequenceSet.parse("9:*").resolve(4);
        assertThat(LongStream.rangeClosed(0, 10).filter(r::contains).toArray()).containsExactly(4, 5, 6, 7, 8, 9);
        assertThat(SequenceSet.parse("*").resolve(0).contains(1)).isFalse();
    }
}
