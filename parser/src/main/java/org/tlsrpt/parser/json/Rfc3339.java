package org.tlsrpt.parser.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.tlsrpt.parser.rules.InputRejectedException;
import org.tlsrpt.parser.rules.RejectCode;
import org.tlsrpt.parser.rules.Warning;

/**
 * Reads RFC 3339 §5.6 date-times into instants: any offset, fractions of a second, lower-case
 * {@code t}/{@code z}. A date-time without an offset (Microsoft, 2024) is read as UTC with a
 * warning; a leap second is read as the second before it, with a warning.
 */
final class Rfc3339 {
  private Rfc3339() {}

  static Instant parse(String text, String field, List<Warning> warnings) {
    return parse(text.toCharArray(), 0, text.length(), field, warnings);
  }

  /** Reads chars[off, off+len) without making a String of them unless a message needs one. */
  static Instant parse(char[] chars, int off, int len, String field, List<Warning> warnings) {
    int first = off;
    int last = off + len;
    while (first < last && chars[first] <= ' ') {
      first++;
    }
    while (last > first && chars[last - 1] <= ' ') {
      last--;
    }
    CharRange s = new CharRange(chars, first, last);
    int n = s.length();
    if (n < 19
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || !isDateTimeSeparator(s.charAt(10))
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      throw notADateTime(s, field);
    }
    int year = digits(s, 0, 4, field);
    int month = digits(s, 5, 2, field);
    int day = digits(s, 8, 2, field);
    int hour = digits(s, 11, 2, field);
    int minute = digits(s, 14, 2, field);
    int second = digits(s, 17, 2, field);
    int i = 19;
    int nanos = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        if (i - start < 9) {
          nanos = nanos * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      if (i == start) {
        throw notADateTime(s, field);
      }
      for (int k = Math.min(i - start, 9); k < 9; k++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset;
    if (i == n) {
      warnings.add(
          new Warning(
              "date_without_offset",
              field + " '" + abbreviate(s.toString()) + "' has no UTC offset; read as UTC"));
      offset = ZoneOffset.UTC;
    } else {
      char c = s.charAt(i);
      if ((c == 'Z' || c == 'z') && i + 1 == n) {
        offset = ZoneOffset.UTC;
      } else if ((c == '+' || c == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
        int oh = digits(s, i + 1, 2, field);
        int om = digits(s, i + 4, 2, field);
        if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60) {
          throw notADateTime(s, field);
        }
        int total = oh * 3600 + om * 60;
        offset = ZoneOffset.ofTotalSeconds(c == '-' ? -total : total);
      } else {
        throw notADateTime(s, field);
      }
    }
    if (second == 60) {
      warnings.add(
          new Warning(
              "leap_second",
              field + " '" + abbreviate(s.toString()) + "' is a leap second; read as :59"));
      second = 59;
    }
    if (month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour > 23
        || minute > 59
        || second > 59) {
      throw notADateTime(s, field);
    }
    long seconds =
        epochDay(year, month, day) * 86_400L
            + hour * 3600L
            + minute * 60L
            + second
            - offset.getTotalSeconds();
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  private static boolean isDateTimeSeparator(char c) {
    return c == 'T' || c == 't' || c == ' ';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digits(CharRange s, int from, int count, String field) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        throw notADateTime(s, field);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static InputRejectedException notADateTime(CharRange text, String field) {
    return new InputRejectedException(
        RejectCode.INVALID_VALUE,
        field + " '" + abbreviate(text.toString()) + "' is not an RFC 3339 date-time");
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
