package dev.tokenauth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceAddressTest {

    @Test
    void shouldGiveEverySpellingOfOneIpv6NetworkTheSameValue() {
        String network = SourceAddress.network("2001:db8:abcd:12::1");
        assertThat(network).isEqualTo("2001:0db8:abcd:0012::/64");
        assertThat(SourceAddress.network("2001:DB8:ABCD:12::1")).isEqualTo(network);
        assertThat(SourceAddress.network("2001:0db8:abcd:0012:0000:0000:0000:0001")).isEqualTo(network);
        assertThat(SourceAddress.network("2001:db8:abcd:12:ffff:ffff:ffff:ffff")).isEqualTo(network);
        assertThat(SourceAddress.network("2001:db8:abcd:13::1")).isNotEqualTo(network);
    }

    @Test
    void shouldKeepIpv4AddressesApartAndReadMappedOnesAsIpv4() {
        assertThat(SourceAddress.network("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(SourceAddress.network("192.0.2.2")).isEqualTo("192.0.2.2");
        assertThat(SourceAddress.network("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(SourceAddress.network(" 192.000.002.001 ")).isEqualTo("192.0.2.1");
    }

    @Test
    void shouldKeyWhatIsNoAddressAsWrittenInLowerCaseAndShort() {
        assertThat(SourceAddress.network("Test-Invoke-Source-IP")).isEqualTo("test-invoke-source-ip");
        assertThat(SourceAddress.network("a".repeat(500))).hasSize(64);
        assertThat(SourceAddress.network(null)).isEmpty();
        assertThat(SourceAddress.network("1:2:3")).isEqualTo("1:2:3");
    }
}
