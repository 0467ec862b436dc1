package org.tlsrpt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The {@code Nd} window that {@code --since} and {@code since=} take, read in one place. */
class SummariesWindowTest {

  @Test
  void aWindowOfNDaysStartsNMinusOneDaysAgo() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(Summaries.since("1d")).isEqualTo(today);
    assertThat(Summaries.since("30d")).isEqualTo(today.minusDays(29));
    assertThat(Summaries.since(" 36600d ")).isEqualTo(today.minusDays(36599));
  }

  @Test
  void refusesWhatIsNotOneToTheLongestWindowOfDaysSayingWhatIsAccepted() {
    for (String bad : new String[] {"0d", "36601d", "99999999999d", "month", "30", "", "-3d"}) {
      assertThatThrownBy(() -> Summaries.since(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "since takes a number of days from 1d to 36600d, such as 30d, not '" + bad + "'");
    }
    assertThatThrownBy(() -> Summaries.since((String) null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
