"""Every emulator the suite starts (in-process or a subprocess server) checks its answers.

With ``check_responses`` on, a response outside its botocore output shape is an InternalFailure
naming the problems, so a test that provokes it fails loudly.
"""

from __future__ import annotations

import os

from personalize_emulator.settings import CHECK_RESPONSES_ENV

os.environ[CHECK_RESPONSES_ENV] = "1"
