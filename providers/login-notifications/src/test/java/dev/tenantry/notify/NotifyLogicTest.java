package dev.tenantry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyLogicTest {

    @Test
    void userAgentsAreReducedToBrowserAndSystemFamilies() {
        assertThat(DeviceFingerprint.family("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15")).isEqualTo("Safari on macOS");
        assertThat(DeviceFingerprint.family("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                + "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0")).isEqualTo("Edge on Windows");
        assertThat(DeviceFingerprint.family("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/126.0 Mobile Safari/537.36")).isEqualTo("Chrome on Android");
        assertThat(DeviceFingerprint.family("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")).isEqualTo("Safari on iOS");
        assertThat(DeviceFingerprint.family("curl/8.5.0")).isEqualTo("curl on other");
        assertThat(DeviceFingerprint.family(null)).isEqualTo("unknown client");
    }

    @Test
    void aBrowserUpdateIsNotANewDevice() {
        assertThat(DeviceFingerprint.family("Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"))
                .isEqualTo(DeviceFingerprint.family("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"));
    }

    @Test
    void addressesAreCutToTheirNetworkPrefix() {
        assertThat(DeviceFingerprint.network("203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(DeviceFingerprint.network("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1::/48");
        assertThat(DeviceFingerprint.network("::ffff:198.51.100.9")).isEqualTo("198.51.100.0/24");
        assertThat(DeviceFingerprint.network("example.com")).isEqualTo("unknown network");
        assertThat(DeviceFingerprint.network(null)).isEqualTo("unknown network");
        assertThat(DeviceFingerprint.network("1.2.3.4; rm -rf /")).isEqualTo("unknown network");
    }

    @Test
    void theRememberedListIsBoundedMostRecentFirst() {
        KnownDevices.Update first = KnownDevices.signIn(List.of(), "a", 3);
        assertThat(first.isNew()).isTrue();
        assertThat(first.firstEver()).isTrue();
        KnownDevices.Update update = KnownDevices.signIn(List.of("a", "b", "c"), "d", 3);
        assertThat(update.isNew()).isTrue();
        assertThat(update.firstEver()).isFalse();
        assertThat(update.devices()).containsExactly("d", "a", "b");
        KnownDevices.Update known = KnownDevices.signIn(List.of("d", "a", "b"), "b", 3);
        assertThat(known.isNew()).isFalse();
        assertThat(known.devices()).containsExactly("b", "d", "a");
    }

    @Test
    void noticesAreOnByDefaultAndATypoKeepsThemOn() {
        NotifyConfig defaults = NotifyConfig.from(Map.of());
        assertThat(defaults.newDevice() && defaults.lockout() && defaults.password() && defaults.factorRemoved()).isTrue();
        assertThat(defaults.rememberedDevices()).isEqualTo(10);
        NotifyConfig typo = NotifyConfig.from(Map.of("tenantry.notify.lockout", "flase",
                "tenantry.notify.newDevice", "false", "tenantry.notify.rememberedDevices", "999"));
        assertThat(typo.lockout()).isTrue();
        assertThat(typo.newDevice()).isFalse();
        assertThat(typo.rememberedDevices()).isEqualTo(10);
        assertThat(typo.problems()).containsExactly("'tenantry.notify.lockout' must be true or false, not 'flase' (kept on)",
                "'tenantry.notify.rememberedDevices' must be a whole number from 1 to 50, not '999' (10 used)");
        assertThat(NotifyConfig.from(Map.of("tenantry.notify.lockout", "OFF")).lockout()).as("off switches a notice off").isFalse();
        assertThat(typo.enabled(Notice.Kind.NEW_DEVICE)).isFalse();
        assertThat(typo.enabled(Notice.Kind.PERMANENT_LOCKOUT)).isTrue();
    }
}
