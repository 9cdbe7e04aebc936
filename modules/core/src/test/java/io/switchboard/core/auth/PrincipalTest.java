package io.switchboard.core.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PrincipalTest {

  @Test
  void a_channels_claim_grants_exact_names_and_star_patterns() {
    Principal p = new Principal("svc", "customer", "acme", List.of("order:42", "run:*", "tenant:*:orders"));
    assertThat(p.granted("order:42")).isTrue();
    assertThat(p.granted("order:421")).isFalse();
    assertThat(p.granted("run:9")).isTrue();
    assertThat(p.granted("run:")).isTrue();
    assertThat(p.granted("runs:9")).isFalse();
    assertThat(p.granted("tenant:acme:orders")).isTrue();
    assertThat(p.granted("tenant:acme:runs")).isFalse();
    assertThat(new Principal("svc", "customer", "acme").granted("order:42")).isFalse();
  }

  @Test
  void characters_that_mean_something_in_a_regex_match_only_themselves() {
    Principal p = new Principal("svc", "customer", "acme", List.of("user:a.b@x"));
    assertThat(p.granted("user:a.b@x")).isTrue();
    assertThat(p.granted("user:aXb@x")).isFalse();
  }

  @Test
  void star_matching_agrees_with_the_regex_it_replaced_on_random_patterns() {
    Random random = new Random(7);
    String alphabet = "ab:*.";
    for (int i = 0; i < 100_000; i++) {
      String pattern = random(random, alphabet, 6);
      String text = random(random, alphabet.replace("*", ""), 8);
      String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
      assertThat(Principal.globMatches(pattern, text)).as("%s ~ %s", pattern, text).isEqualTo(text.matches(regex));
    }
  }

  private static String random(Random random, String alphabet, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < length; k++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
