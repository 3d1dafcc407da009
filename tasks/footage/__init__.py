"""Choose the few frames a vision model is shown, in one decode pass over the clip.

The vision model is the most expensive step, so what it sees decides cost and quality:

* **one decode pass**: every frame is decoded exactly once by our own PyAV loop (FFmpeg's
  decoder, as OpenCV uses); PySceneDetect's detector is fed frame by frame through its
  ``process_frame`` API (no second pass, no hand-written detector). No frame is ever
  colour-converted at full size: the detector gets a small copy built straight from the
  decoded YUV planes of every ``analysis_stride``-th frame, and only the chosen frames are
  converted, directly at their output size. That is what keeps the whole analysis near the
  cost of OpenCV's plain ``read()`` loop, which converts every frame to full-size BGR;
* **scenes first**: the ``max_frames`` budget goes round-robin over scenes, longest first, so
  every scene gets a frame before any gets a second; with more scenes than budget the longest
  distinct scenes win and the manifest says which were left out;
* **representative, not arbitrary**: per scene the sharpest frame near its middle, then frames
  spread across it; near-duplicates (perceptual hash) are dropped and counted;
* **bounded memory**: only a handful of candidate frames per scene are held, never the video;
* **overlapped work**: by default the decoder runs on its own thread (OpenCV releases the GIL)
  while this one analyses, and the chosen frames are encoded and described on a small worker
  pool, starting with each finished scene's lead frame while the clip is still decoding. The
  manifest is identical to the one ``concurrent=False`` produces on the calling thread alone;
* **pixel budget**: frames are resized to at most ``max_pixels`` with sides on the 28-pixel
  patch grid of Qwen2.5-VL, so ``visual_tokens`` (``ceil(h/28) * ceil(w/28)`` per frame) is
  exactly what the model will be charged.

Output: ``frame_NNN_FFFFFF.jpg`` files and ``manifest.json`` in ``out_dir``.

Modules: ``sample`` (the entry point), ``decode`` (the pass), ``scenes`` (detection and
candidates), ``selection`` (budget and duplicates), ``render`` (chosen frames to JPEG),
``tokens`` (pixel budget), ``manifest`` (the output types), ``descriptors`` and ``colours``
(what a blind model reads) and ``faces`` (BlazeFace, or OpenCV's Haar cascade; the BlazeFace
net itself runs in ``_blazeface``).
"""

from tasks.footage.colours import DominantColour
from tasks.footage.descriptors import (
    FrameDescriptors,
    describe_frame,
    describe_with_thumbnail,
    gray_thumbnail,
    motion_between,
)
from tasks.footage.faces import faces_available
from tasks.footage.manifest import MANIFEST_NAME, SampledFrame, SampleManifest, Scene, Strategy
from tasks.footage.sample import sample_frames
from tasks.footage.tokens import target_size, visual_tokens

__all__ = [
    "MANIFEST_NAME",
    "DominantColour",
    "FrameDescriptors",
    "SampleManifest",
    "SampledFrame",
    "Scene",
    "Strategy",
    "describe_frame",
    "describe_with_thumbnail",
    "faces_available",
    "gray_thumbnail",
    "motion_between",
    "sample_frames",
    "target_size",
    "visual_tokens",
]
