package io.switchboard.core.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

  @Test
  void a_proxy_is_trusted_by_its_address_or_by_a_cidr_range_of_either_family() {
    List<String> proxies = List.of("127.0.0.1", "10.0.0.0/8", "192.168.4.0/22", "fd00::/8");
    assertThat(ClientAddress.trusted("127.0.0.1", proxies)).isTrue();
    assertThat(ClientAddress.trusted("10.244.3.17", proxies)).isTrue();
    assertThat(ClientAddress.trusted("11.0.0.1", proxies)).isFalse();
    assertThat(ClientAddress.trusted("192.168.7.255", proxies)).isTrue();
    assertThat(ClientAddress.trusted("192.168.8.0", proxies)).isFalse();
    assertThat(ClientAddress.trusted("fd12:3456::1", proxies)).isTrue();
    assertThat(ClientAddress.trusted("fe80::1", proxies)).isFalse();
    assertThat(ClientAddress.trusted("unknown", proxies)).isFalse();
    assertThat(ClientAddress.trusted("10.0.0.1", List.of("0.0.0.0/0"))).isTrue();
  }

  @Test
  void configured_entries_must_be_literal_addresses_or_ranges() {
    assertThat(ClientAddress.problem("10.0.0.0/8")).isNull();
    assertThat(ClientAddress.problem("::1")).isNull();
    assertThat(ClientAddress.problem("ingress.local")).contains("not an IP address");
    assertThat(ClientAddress.problem("10.0.0.0/33")).contains("prefix length");
    assertThat(ClientAddress.problem("10.0.0.0/x")).contains("prefix length");
  }
}
