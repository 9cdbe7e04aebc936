package io.switchboard.core.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

  @Test
  void a_proxy_is_trusted_by_its_address_or_by_a_cidr_range_of_either_family() {
    TrustedProxies proxies = TrustedProxies.parse(List.of("127.0.0.1", "10.0.0.0/8", "192.168.4.0/22", "fd00::/8"));
    assertThat(proxies.contains("127.0.0.1")).isTrue();
    assertThat(proxies.contains("10.244.3.17")).isTrue();
    assertThat(proxies.contains("11.0.0.1")).isFalse();
    assertThat(proxies.contains("192.168.7.255")).isTrue();
    assertThat(proxies.contains("192.168.8.0")).isFalse();
    assertThat(proxies.contains("fd12:3456::1")).isTrue();
    assertThat(proxies.contains("fe80::1")).isFalse();
    assertThat(proxies.contains("unknown")).isFalse();
    assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).contains("10.0.0.1")).isTrue();
  }

  @Test
  void configured_entries_must_be_literal_addresses_or_ranges() {
    TrustedProxies.parse(List.of("10.0.0.0/8"));
    TrustedProxies.parse(List.of("::1"));
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("ingress.local"))).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/x"))).hasMessageContaining("prefix length");
  }
}
