package io.switchboard.core.event;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelsTest {

  // The grammar as documented (docs/api.md), kept here as the reference the hand-written checks must agree with.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-.@]+(:[A-Za-z0-9_\\-.@]+)*");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_\\-.:]{1,100}");
  private static final String ALPHABET = "aZ09_-.@: \n\r\u00e9/%";

  @Test
  void names_are_segments_of_letters_digits_and_underscore_dash_dot_at_joined_by_colons() {
    assertThat(Channels.isValid("order:123")).isTrue();
    assertThat(Channels.isValid("tenant:acme-1:orders")).isTrue();
    assertThat(Channels.isValid("user:a.b@example.com")).isTrue();
    assertThat(Channels.isValid("")).isFalse();
    assertThat(Channels.isValid("order:")).isFalse();
    assertThat(Channels.isValid("order::1")).isFalse();
    assertThat(Channels.isValid(":order")).isFalse();
    assertThat(Channels.isValid("order:1\n")).isFalse();
    assertThat(Channels.isValid("x".repeat(200))).isTrue();
    assertThat(Channels.isValid("x".repeat(201))).isFalse();
    assertThat(Channels.isValid(null)).isFalse();
  }

  @Test
  void types_are_one_to_a_hundred_letters_digits_or_underscore_dash_dot_colon() {
    assertThat(Channels.isValidType("order.status:changed")).isTrue();
    assertThat(Channels.isValidType("x".repeat(100))).isTrue();
    assertThat(Channels.isValidType("x".repeat(101))).isFalse();
    assertThat(Channels.isValidType("")).isFalse();
    assertThat(Channels.isValidType("a@b")).isFalse();
    assertThat(Channels.isValidType(null)).isFalse();
  }

  @Test
  void the_checks_agree_with_the_documented_grammar_on_random_strings() {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      int length = random.nextInt(i % 100 == 0 ? 210 : 8);
      StringBuilder sb = new StringBuilder(length);
      for (int k = 0; k < length; k++) {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String s = sb.toString();
      assertThat(Channels.isValid(s)).as("channel %s", s)
          .isEqualTo(s.length() <= Channels.MAX_LENGTH && NAME.matcher(s).matches());
      assertThat(Channels.isValidType(s)).as("type %s", s).isEqualTo(TYPE.matcher(s).matches());
    }
  }
}
