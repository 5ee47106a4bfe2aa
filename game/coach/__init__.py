"""The expert's eye: balance runs for trainers (lessons, reach and why), and the
turning-point analysis of a played game."""
