"""Exec a server so that it dies with the process that started it.

Run by ops.services.spawn as a separate program (standard library only), so nothing
runs between fork and exec in the starting process: subprocess documents `preexec_fn` as
unsafe when threads exist, and the tests restart servers while threads run.

    python -I launch.py PARENT_PID [--user NAME] -- PROGRAM ARGS...

Order matters: a change of user clears Linux's parent-death signal, so the user is
switched first; then PR_SET_PDEATHSIG asks the kernel for SIGTERM when the parent exits;
then, if the parent already exited before that call (the one race it leaves), the launch
stops here instead of leaving an orphan behind.
"""

import ctypes
import os
import pwd
import signal
import sys

PR_SET_PDEATHSIG = 1


def switch_user(name: str) -> None:
    account = pwd.getpwnam(name)
    os.setgroups([])
    os.setgid(account.pw_gid)
    os.setuid(account.pw_uid)
    os.environ.update(HOME=account.pw_dir, USER=name, LOGNAME=name)


def die_with_parent(parent_pid: int, program: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:
        sys.exit(f"launch: parent {parent_pid} exited before {program} started")


def main(argv: list[str]) -> None:
    if "--" not in argv or argv.index("--") not in (1, 3) or argv[-1] == "--":
        sys.exit(__doc__)
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1 :]
    if len(options) == 3:
        if options[1] != "--user":
            sys.exit(__doc__)
        switch_user(options[2])
    die_with_parent(int(options[0]), command[0])
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
