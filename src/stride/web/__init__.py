"""The Django shell of Stride: loads input, calls ``stride.core``, stores and renders."""
