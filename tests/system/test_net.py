# SPDX-License-Identifier: MIT
# virtio-net on -netdev user (libslirp): DHCP, a download from a host HTTP
# server checked by md5, host forwarding with data both ways, the HMP
# network commands; on virtio-pci and virtio-mmio, the same guest commands
# on Debian's QEMU, and one-line errors for bad options.
import functools
import hashlib
import http.server
import os
import re
import socket
import subprocess
import threading
import time

import pytest

from harness import program, require_tool
import mimic_images
import vm
from test_hmp import HMPClient

# The image has no udhcpc default script: write one at test time.
DHCP_SCRIPT = ("printf '#!/bin/sh\\n[ \"$1\" = bound ] || exit 0\\n"
               "ifconfig $interface $ip netmask $subnet\\n"
               "route add default gw $router\\n' > /tmp/dhcp.sh; "
               "chmod +x /tmp/dhcp.sh")
BLOB_SIZE = 3 * 1024 * 1024
# big.bin: long enough to be mid-download after 0.3 s under the translator.
BIG_BLOBS = 16
GUEST_PORT = 7777


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def http_blob(tmp_path_factory):
    """A host HTTP server on 127.0.0.1 (10.0.2.2 to the guest) serving
    blob.bin and big.bin (BIG_BLOBS blobs); yields (port, md5 of blob.bin, md5
    of big.bin)."""
    root = tmp_path_factory.mktemp("www")
    data = os.urandom(BLOB_SIZE)
    (root / "blob.bin").write_bytes(data)
    (root / "big.bin").write_bytes(data * BIG_BLOBS)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield (server.server_address[1], hashlib.md5(data).hexdigest(),
           hashlib.md5(data * BIG_BLOBS).hexdigest())
    server.shutdown()
    server.server_close()


class Monitor(HMPClient):
    """HMP on both emulators: QEMU's readline redraws the line as it is
    typed, so the echo is skipped rather than compared."""

    def run(self, line):
        self.sock.sendall(line.encode() + b"\r\n")
        out = self._until_prompt().replace("\r\n", "\n")
        return out.partition("\n")[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def emulator(name):
    if name == "mimic":
        return str(program("mimic-system-riscv64"))
    return require_tool("qemu-system-riscv64")


def boot(console, emu, extra, tmp_path=None):
    vm.images()
    argv = mimic_images.qemu_argv(qemu=emulator(emu), smp=1, extra=extra)
    if emu == "qemu":
        return mimic_images.boot_qemu(console, argv, vm.PROMPT)
    c = console(argv)
    c.expect(vm.PROMPT, vm.BOOT_TIMEOUT)
    return c


def dhcp(c, addr="10.0.2.15"):
    vm.run(c, DHCP_SCRIPT)
    out = vm.run(c, "ifconfig eth0 up; udhcpc -i eth0 -s /tmp/dhcp.sh -q -n "
                 "-t 10 -T 2 2>&1; ifconfig eth0", timeout=90)
    assert f"lease of {addr} obtained" in out, out
    assert f"inet addr:{addr}" in out, out
    return out


def exchange(c, port, timeout=60, host="127.0.0.1"):
    """Host to guest through a forwarded port: nc -l in the guest answers
    one line and keeps what the host sent; check both directions. (nc runs
    in the foreground: the test shell ends when a background job finishes
    while it waits at the prompt, on QEMU too.)"""
    begin = c.pos
    c.sendline(f"echo guest-says-hi | nc -l -p {GUEST_PORT}")
    deadline = time.monotonic() + timeout
    got = b""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), 5) as s:
                s.settimeout(20)
                s.sendall(b"host-says-hi\n")
                s.shutdown(socket.SHUT_WR)
                got = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    got += chunk
        except OSError:
            got = b""
        if got:
            break
        # The guest's nc was not listening yet: slirp closed us.
        time.sleep(0.5)
    m = c.expect(vm.PROMPT, 30)
    out = c.transcript[begin:m.start()].decode(errors="replace")
    assert got == b"guest-says-hi\n"
    assert out.replace("\r\n", "\n").strip() == "host-says-hi"


def carrier(c, want):
    """/sys/class/net/eth0/carrier once it reads want (or after 5 s)."""
    return vm.run(c, "for i in $(seq 25); do [ $(cat /sys/class/net/eth0/"
                  f"carrier) = {want} ] && break; sleep 0.2; done; "
                  "cat /sys/class/net/eth0/carrier", timeout=30)


def jobless(out):
    """Output without the shell's "[1]+ Done ..." job notices."""
    return "\n".join(l for l in out.splitlines() if not re.match(r"\s*\[\d+\]", l))


def wget_md5(c, port):
    out = vm.run(c, f"wget -q -O /tmp/blob http://10.0.2.2:{port}/blob.bin "
                 "2>&1; md5sum /tmp/blob; rm -f /tmp/blob", timeout=240)
    return out.split()[0] if out else ""


@pytest.mark.parametrize("emu", ["mimic", "qemu"])
def test_pci_dhcp_download_hostfwd(console, http_blob, tmp_path, emu):
    """-netdev user + -device virtio-net-pci: the same commands, the same
    results on mimic and on QEMU."""
    port, md5, _ = http_blob
    fwd = free_port()
    mon = str(tmp_path / "hmp.sock")
    c = boot(console, emu, [
        "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{fwd}-:{GUEST_PORT}",
        # QEMU wants its boot ROM unless told there is none.
        "-device", "virtio-net-pci,netdev=n0,romfile=",
        "-monitor", f"unix:{mon},server=on,wait=off"])
    dhcp(c)
    assert wget_md5(c, port) == md5
    exchange(c, fwd)

    h = Monitor(mon)
    info = h.run("info network")
    assert info.replace("\r", "") == (
        "virtio-net-pci.0: index=0,type=nic,model=virtio-net-pci,"
        "macaddr=52:54:00:12:34:56\n"
        " \\ n0: index=0,type=user,net=10.0.2.0,restrict=off\n")
    # set_link takes the netdev's id or the NIC's name; the guest's carrier
    # follows (a config-change interrupt, then the driver's work item).
    assert h.run("set_link n0 off") == ""
    assert carrier(c, "0") == "0"
    assert h.run("set_link virtio-net-pci.0 on") == ""
    assert carrier(c, "1") == "1"
    if emu == "qemu":
        return  # QEMU 7.2's guest powers off after its hostfwd_add here
    assert h.run("set_link nope on") == "Error: Device 'nope' not found\n"
    # A second forward added at run time, then taken away.
    extra = free_port()
    assert h.run(f"hostfwd_add n0 tcp:127.0.0.1:{extra}-:{GUEST_PORT}") == ""
    exchange(c, extra)
    out = h.run(f"hostfwd_remove n0 tcp:127.0.0.1:{extra}")
    assert out.strip() == f"host forwarding rule for tcp:127.0.0.1:{extra} removed"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", extra), 5).close()


def test_mmio_nic_shorthand(console, http_blob):
    """-nic user,model=virtio-net-device: virtio-mmio, a chosen MAC, and
    the forward given in the -nic option."""
    port, md5, _ = http_blob
    fwd = free_port()
    c = boot(console, "mimic", [
        "-nic", f"user,model=virtio-net-device,mac=52:54:00:aa:bb:cc,"
        f"hostfwd=tcp:127.0.0.1:{fwd}-:{GUEST_PORT}"])
    out = dhcp(c)
    assert "HWADDR 52:54:00:AA:BB:CC" in out.upper(), out
    path = vm.run(c, "readlink -f /sys/class/net/eth0/device")
    assert "virtio_mmio" in path and "pci" not in path, path
    assert wget_md5(c, port) == md5
    exchange(c, fwd)
    # The driver unbound and bound again (a device reset) in the middle of
    # a download: the device comes back, DHCP and downloads work again.
    out = vm.run(c, "d=$(basename $(readlink /sys/class/net/eth0/device)); "
                 f"wget -q -O /dev/null http://10.0.2.2:{port}/blob.bin & "
                 "sleep 0.5; echo $d > /sys/bus/virtio/drivers/virtio_net/unbind; "
                 "sleep 1; echo $d > /sys/bus/virtio/drivers/virtio_net/bind; "
                 "kill %1; wait; echo rebound", timeout=60)
    assert "rebound" in out, out
    dhcp(c)
    assert wget_md5(c, port) == md5


def test_restricted_network_of_our_own(console, http_blob):
    """net= and restrict=on: DHCP hands out the address in that network
    and no router (as QEMU's slirp does), the guest cannot reach out, a
    forward still reaches it."""
    port = http_blob[0]
    fwd = free_port()
    c = boot(console, "mimic", [
        "-netdev", "user,id=n0,net=192.168.76.0/24,dhcpstart=192.168.76.9,"
        f"restrict=on,hostfwd=tcp:127.0.0.1:{fwd}-:{GUEST_PORT}",
        "-device", "virtio-net-pci,netdev=n0"])
    dhcp(c, "192.168.76.9")
    assert " UG " not in vm.run(c, "route -n")
    out = vm.run(c, f"wget -q -T 5 -O /dev/null http://192.168.76.2:{port}/"
                 "blob.bin; echo status=$?", timeout=60)
    assert "status=0" not in out, out
    exchange(c, fwd)


def test_guest_without_buffers_does_not_spin(console, http_blob):
    """The guest stops taking frames (link down) in the middle of a
    download: mimic holds the data and stays idle, then finishes."""
    port, _, md5 = http_blob
    c = boot(console, "mimic", ["-netdev", "user,id=n0",
                                "-device", "virtio-net-pci,netdev=n0"])
    dhcp(c)
    begin = c.pos
    c.sendline(f"wget -q -O - http://10.0.2.2:{port}/big.bin | md5sum "
               "> /tmp/md5 & sleep 0.3; "
               "cat /sys/class/net/eth0/statistics/rx_bytes; "
               "ifconfig eth0 down; sleep 4; ifconfig eth0 up; "
               "route add default gw 10.0.2.2; wait; cat /tmp/md5")
    time.sleep(2)
    pid = c.proc.pid
    before = cpu_seconds(pid)
    time.sleep(2)
    used = cpu_seconds(pid) - before
    m = c.expect(vm.PROMPT, 240)
    out = jobless(c.transcript[begin:m.start()].decode(errors="replace"))
    rx_bytes, result = out.split()[:2]
    if int(rx_bytes) >= BIG_BLOBS * BLOB_SIZE:
        pytest.skip("the download was over before the link went down")
    assert used < 1.5, f"{used:.1f}s of CPU in 2s while the guest took nothing"
    assert result == md5, out


def test_tap(console):
    """-netdev tap on a TAP interface made here: the guest pings the host's
    end and the host talks to nc in the guest."""
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        pytest.skip("needs root and /dev/net/tun")
    ip = require_tool("ip")
    name = f"mimictap{os.getpid() % 10000}"
    net = f"192.168.{200 + os.getpid() % 50}"
    made = subprocess.run([ip, "tuntap", "add", "dev", name, "mode", "tap"],
                          capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"cannot create a tap device: {made.stderr.strip()}")
    try:
        subprocess.run([ip, "addr", "add", f"{net}.1/24", "dev", name], check=True)
        subprocess.run([ip, "link", "set", name, "up"], check=True)
        c = boot(console, "mimic", [
            "-netdev", f"tap,id=t0,ifname={name},script=no,downscript=no",
            "-device", "virtio-net-pci,netdev=t0"])
        vm.run(c, f"ifconfig eth0 {net}.2 netmask 255.255.255.0 up")
        out = vm.run(c, f"ping -c 2 -W 5 {net}.1", timeout=60)
        assert "2 packets received" in out, out
        exchange(c, GUEST_PORT, host=f"{net}.2")
    finally:
        subprocess.run([ip, "link", "del", name], capture_output=True)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


BAD_OPTIONS = [
    (["-netdev", "user"], r"-netdev user: id= is required"),
    (["-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=nope"],
     r"virtio-net-pci: no -netdev with id 'nope'"),
    (["-netdev", "user,id=n0,hostfwd=tcp::abc-:22"],
     r"invalid host forwarding rule 'tcp::abc-:22' \(bad host port\)"),
    (["-netdev", "user,id=n0,hostfwd=icmp::22-:22"],
     r"invalid host forwarding rule 'icmp::22-:22' \(bad protocol name\)"),
    (["-netdev", "user,id=n0,hostfwd=tcp::2222-:0"],
     r"\(bad guest port\)"),
    (["-netdev", "bogus,id=n0"], r"-netdev: unknown type 'bogus'"),
    (["-netdev", "user,id=n0,net=10.0.2.0/24,host=192.168.1.1"],
     r"host=192.168.1.1 is outside net=10.0.2.0/24"),
    (["-netdev", "user,id=n0,frobnicate=1"], r"unknown parameter 'frobnicate'"),
    (["-netdev", "user,id=n0", "-netdev", "user,id=n0"], r"duplicate id 'n0'"),
    (["-nic", "user,model=e1000"], r"-nic: unsupported model 'e1000'"),
    (["-device", "virtio-net-pci,mac=52:54:00:zz:00:01"], r"bad MAC address"),
    (["-netdev", "tap,id=t0,script=/etc/qemu-ifup"], r"scripts are not supported"),
]


@pytest.mark.parametrize("extra,message", BAD_OPTIONS,
                         ids=[" ".join(e) for e, _ in BAD_OPTIONS])
def test_bad_options_give_one_line(extra, message):
    vm.images()
    argv = mimic_images.qemu_argv(qemu=emulator("mimic"), smp=1, extra=extra)
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mimic-system-riscv64: "), lines[0]
    assert re.search(message, lines[0]), lines[0]


def test_hostfwd_on_a_taken_port():
    """A host port another program holds: one line naming the rule."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        rule = f"tcp:127.0.0.1:{port}-:22"
        vm.images()
        argv = mimic_images.qemu_argv(qemu=emulator("mimic"), smp=1, extra=[
            "-netdev", f"user,id=n0,hostfwd={rule}"])
        done = subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr == ("mimic-system-riscv64: -netdev user: could not "
                           f"set up host forwarding rule '{rule}'\n")


def test_unplugged_netdev_and_nic_warn(tmp_path):
    """As QEMU: a netdev without a NIC and a NIC without a netdev are
    warnings, not errors."""
    done = subprocess.run([emulator("mimic"), "-netdev", "user,id=lonely",
                           "-device", "virtio-net-device",
                           "-machine", f"dumpdtb={tmp_path / 'virt.dtb'}"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "mimic-system-riscv64: warning: nic virtio-net-device.0 has no peer",
        "mimic-system-riscv64: warning: netdev lonely has no peer"]


def test_help_lists_networking():
    out = subprocess.run([emulator("mimic"), "-help"], capture_output=True,
                         text=True, timeout=10).stdout
    assert re.search(r"^  -netdev .*user,id=ID.*hostfwd=", out, re.M)
    assert re.search(r"^  -nic .*model=virtio-net-pci", out, re.M)
    devices = subprocess.run([emulator("mimic"), "-device", "help"],
                             capture_output=True, text=True, timeout=10).stdout
    assert "virtio-net-pci" in devices and "virtio-net-device" in devices
    types = subprocess.run([emulator("mimic"), "-netdev", "help"],
                           capture_output=True, text=True, timeout=10).stdout
    assert types.split() == ["Available", "netdev", "backend", "types:",
                             "user", "tap"]
