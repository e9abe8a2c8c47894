# SPDX-License-Identifier: MIT
# -rtc base=: the guest's clock starts at the given date (Linux reads the
# goldfish RTC at boot), on mimic and on Debian's QEMU alike.
import pytest

from test_virtio import EMULATORS, run_guest
import vm


@pytest.mark.parametrize("emu", EMULATORS)
@pytest.mark.parametrize("base, day", [("2006-06-17T16:01:21", "2006-06-17 16:0"),
                                       ("1999-12-31", "1999-12-31 00:0")])
def test_rtc_base_sets_the_guest_clock(emu, base, day):
    status, out = run_guest(emu, "echo GUEST-DATE $(date -u '+%Y-%m-%d %H:%M')",
                            ["-rtc", f"base={base},clock=host,driftfix=slew"])
    assert status == 0, out
    assert f"GUEST-DATE {day}" in out, out


@pytest.mark.parametrize("args, message", [
    (["-rtc", "base=yesterday"], r"-rtc: invalid base 'yesterday'"),
    (["-rtc", "base=2006-13-45"], r"-rtc: invalid base"),
    (["-rtc", "clock=vm"], r"-rtc: clock=vm is not supported"),
    (["-rtc", "driftfix=fast"], r"-rtc: invalid driftfix 'fast'"),
    (["-rtc", "base=utc,bogus=1"], r"-rtc: unknown parameter 'bogus'"),
])
def test_bad_rtc_options(args, message):
    vm.assert_one_error_line(args, message)
