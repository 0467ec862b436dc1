package org.tlsrpt.parser.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.Warning;

class Rfc3339Test {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2016-04-01T00:00:00Z, 2016-04-01T00:00:00Z",
    "2016-04-01t00:00:00z, 2016-04-01T00:00:00Z",
    "2016-04-01 00:00:00Z, 2016-04-01T00:00:00Z",
    "2016-04-01T01:30:00+01:30, 2016-04-01T00:00:00Z",
    "2016-03-31T19:00:00-05:00, 2016-04-01T00:00:00Z",
    "2016-04-01T00:00:00.5Z, 2016-04-01T00:00:00.500Z",
    "2016-04-01T00:00:00.123456789123Z, 2016-04-01T00:00:00.123456789Z",
    "2024-02-29T23:59:59Z, 2024-02-29T23:59:59Z",
    "2000-02-29T00:00:00Z, 2000-02-29T00:00:00Z",
    "1969-12-31T23:59:59Z, 1969-12-31T23:59:59Z",
  })
  void readsEveryRfc3339Form(String text, String expected) {
    List<Warning> w = new ArrayList<>();
    assertThat(Rfc3339.parse(text, "f", w)).isEqualTo(Instant.parse(expected));
    assertThat(w).isEmpty();
  }

  @Test
  void readsALeapSecondAsTheSecondBeforeWithAWarning() {
    List<Warning> w = new ArrayList<>();
    assertThat(Rfc3339.parse("2016-12-31T23:59:60Z", "f", w))
        .isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
    assertThat(w).extracting(Warning::code).containsExactly("leap_second");
  }

  @ParameterizedTest
  @CsvSource({
    "2023-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2024-04-31T00:00:00Z",
    "2024-00-10T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T00:60:00Z",
    "2024-01-01T00:00:00.Z",
    "2024-01-01T00:00:00+24:00",
    "2024-01-01T00:00:00Zjunk",
    "2024/01/01T00:00:00Z"
  })
  void refusesImpossibleOrMalformedDateTimes(String text) {
    assertThatThrownBy(() -> Rfc3339.parse(text, "date-range.start-datetime", new ArrayList<>()))
        .isInstanceOf(InputRejectedException.class)
        .hasMessageContaining("date-range.start-datetime '" + text + "'");
  }
}
