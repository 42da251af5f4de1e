"""What every `rnn-tui` command shares: -h as well as --help, and help wrapped at 100 columns."""

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
