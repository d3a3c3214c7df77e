"""Gait analysis in pure Python + numpy: filters, view detection, gait events, metrics, coaching, synthetic walker.

Never imports Qt, OpenCV or MediaPipe (``tests/test_architecture.py`` proves it).
"""
