"""The render's progress: ``frames n/m`` lines from the harness reach a display callback.

Progress is display-only: the script runs in the same process as the harness and can
print such lines too, so the parent bounds what it parses and trusts none of it.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import cv2

from sandbox.outcome import TailReader, without_progress
from sandbox.runner import Limits, _run_unchecked, run_script
from tests.sandbox.test_runner import TIGHT

LONG = Limits(cpu_s=60, memory_bytes=TIGHT.memory_bytes, processes=TIGHT.processes, wall_s=90)

# 8 s at 24 fps, 640x480: long enough for several progress lines at 4 a second.
SLOW_EDIT = """from moviepy import concatenate_videoclips


def edit(source):
    big = source.resized((640, 480))
    return concatenate_videoclips([big, big])
"""

# Forgery, run without the policy (which refuses strings with a slash): fake, malformed
# and oversized progress lines from edit() and from every frame, partial lines, and a
# line far longer than any progress line.
FORGER = """def fake(frame):
    print("frames 1/2")
    print("frames 999999999/999999999")
    print("frames 7/3")
    print("frames -1/5")
    print("frames 3/4", end="")
    return frame


def edit(source):
    print("frames 5/10")
    print("x" * 100000 + "frames 1/1")
    print("frames 99999999999999999999/1")
    return source.subclipped(0, 2).image_transform(fake)
"""


def _frames(path: Path) -> int:
    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    return count


def test_a_render_reports_increasing_frames_up_to_the_total(clip: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    out = tmp_path / "slow.mp4"
    started = time.monotonic()
    result = run_script(SLOW_EDIT, [clip], out, limits=LONG, progress=lambda *p: seen.append(p))
    elapsed = time.monotonic() - started
    assert result.ok, result.reason
    total = _frames(out)  # decoded from the delivered file
    assert total == 8 * 24
    assert len(seen) >= 3, seen
    assert {t for _, t in seen} == {total}
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert done[-1] == total
    assert len(seen) <= elapsed / 0.25 + 2  # rate-limited
    assert "frames " not in result.log_tail


def test_a_failing_callback_does_not_break_the_render(clip: Path, tmp_path: Path) -> None:
    def broken(done: int, total: int) -> None:
        raise RuntimeError("display gone")

    out = tmp_path / "o.mp4"
    result = run_script(SLOW_EDIT, [clip], out, limits=LONG, progress=broken)
    assert result.ok and out.is_file()


def test_forged_progress_lines_cannot_break_the_run(clip: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    out = tmp_path / "forged.mp4"
    result = _run_unchecked(FORGER, [clip], out, limits=LONG, progress=lambda *p: seen.append(p))
    assert result.ok, result.reason
    assert _frames(out) == 48
    bound = int(LONG.max_duration_s * LONG.max_fps) + 1
    assert seen and all(0 <= d <= t <= bound for d, t in seen), seen
    # The harness flushes the script's prints before its own line: the last one is real.
    assert seen[-1] == (48, 48)


def _read(pieces: list[bytes], max_frames: int = 100) -> TailReader:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb") as stream:
        reader = TailReader(stream, 1024, max_frames)  # type: ignore[arg-type]
        reader.start()

        def feed() -> None:
            for piece in pieces:
                os.write(write_fd, piece)
                time.sleep(0.01)  # separate reads: lines split across chunks
            os.close(write_fd)

        writer = threading.Thread(target=feed)
        writer.start()
        writer.join()
        reader.join(timeout=10)
    return reader


def test_the_reader_keeps_the_latest_well_formed_line_across_chunks() -> None:
    reader = _read([b"noise\nfram", b"es 3/1", b"0\nframes 4/10", b"\n"])
    assert reader.progress == (4, 10)
    # a line that does not start at a line start, is out of range or unfinished: ignored
    reader = _read([b"frames 2/10\nxframes 5/10\nframes 11/10\nframes 0/0\n", b"frames 6/10"])
    assert reader.progress == (2, 10)
    reader = _read([b"frames 2/10\nframes 5/1000\n"], max_frames=100)
    assert reader.progress == (2, 10)


def test_the_reader_stays_bounded_under_a_flood() -> None:
    flood = [b"y" * 65536] * 64 + [b"frames 1/2"] + [b"\nframes 9/10\n"]
    reader = _read(flood)
    assert len(reader.tail) <= 1024 and len(reader._carry) <= 32
    # "frames 1/2" ended a 4 MiB line: it never started one, so only the next line counts
    assert reader.progress == (9, 10)


def test_progress_lines_leave_the_log_tail() -> None:
    text = "start\n\nframes 1/9\n\nframes 2/9\nTraceback: boom\n"
    assert without_progress(text) == "start\nTraceback: boom\n"
