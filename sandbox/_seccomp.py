"""A small seccomp filter for the jail, as the raw BPF program ``bwrap --seccomp`` loads.

Edit scripts need files, memory, threads and pipes to ffmpeg; they never need to mount,
trace, load kernel modules, create namespaces or reach kernel keyrings. The filter denies
those syscalls with ``EPERM`` (``clone3`` with ``ENOSYS``, so glibc falls back to ``clone``,
whose flags are then checked for namespace bits). Anything other than the x86-64 ABI
(x32, i386 via ``int 0x80``) is killed. Written by hand because libseccomp's Python
binding is not a dependency; on other architectures no filter is returned and the jail's
namespaces and dropped capabilities still hold.
"""

from __future__ import annotations

import errno
import platform
import struct

__all__ = ["DENIED_SYSCALLS", "filter_program"]

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_BIT = 0x40000000
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_KILL_PROCESS = 0x80000000
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16
_CLONE = 56
_CLONE3 = 435
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
_CLONE_NAMESPACES = 0x7E020000

#: x86-64 syscall numbers denied with EPERM.
DENIED_SYSCALLS: dict[str, int] = {
    "ptrace": 101,
    "syslog": 103,
    "uselib": 134,
    "personality": 135,
    "modify_ldt": 154,
    "pivot_root": 155,
    "adjtimex": 159,
    "chroot": 161,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "iopl": 172,
    "ioperm": 173,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "clock_settime": 227,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "perf_event_open": 298,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def filter_program() -> bytes | None:
    """The BPF program (``struct sock_filter[]``), or None off x86-64."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    denied = sorted(set(DENIED_SYSCALLS.values()))
    # Layout: [arch check][nr load][x32 check][denied...][clone3][clone -> flags][returns]
    body: list[tuple[int, int, str | None, str | None]] = []
    body.append((_LD_W_ABS, _OFFSET_ARCH, None, None))
    body.append((_JEQ_K, _AUDIT_ARCH_X86_64, None, "kill"))
    body.append((_LD_W_ABS, _OFFSET_NR, None, None))
    body.append((_JGE_K, _X32_BIT, "kill", None))
    body.extend((_JEQ_K, nr, "eperm", None) for nr in denied)
    body.append((_JEQ_K, _CLONE3, "enosys", None))
    body.append((_JEQ_K, _CLONE, None, "allow"))
    body.append((_LD_W_ABS, _OFFSET_ARG0, None, None))
    body.append((_JSET_K, _CLONE_NAMESPACES, "eperm", "allow"))
    returns = {
        "allow": _ALLOW,
        "eperm": _ERRNO | errno.EPERM,
        "enosys": _ERRNO | errno.ENOSYS,
        "kill": _KILL_PROCESS,
    }
    labels = {name: len(body) + i for i, name in enumerate(returns)}
    program = bytearray()
    for index, (code, k, jt, jf) in enumerate(body):

        def offset(label: str | None, here: int = index) -> int:
            return 0 if label is None else labels[label] - here - 1

        program += _insn(code, k, offset(jt), offset(jf))
    for value in returns.values():
        program += _insn(_RET_K, value)
    return bytes(program)
