"""The kernel: what every other app may use and which uses none of them (errors, guards, file
checks, text cleaning, exports, formats)."""
