"""The seeded generator behind the templated corpora (`grammar`, half of `chat`) and the manifest's
figures. A build tool, never imported at run time: `python -m corpora.generator.generate`."""
