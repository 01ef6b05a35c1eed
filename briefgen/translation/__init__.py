"""Offline machine translation, Arabic to English.

- `argos`: Argos Translate packages (find, check, install).
- `ct2`: CTranslate2 model directories (OPUS-MT/Marian or NLLB style), checked and installed
  into briefgen's own models folder.
- `engines`: the engines that run either kind of model, and the choice of one from
  `site_config.yml`'s `translation:` section.
"""
