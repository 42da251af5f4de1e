"""rnn-tui's faces: the click CLI and (later) the Textual app. Reaches the model only through lm."""
