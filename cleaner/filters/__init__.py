"""One module per mechanism. A filter reads the current text and proposes edits against it;
the pipeline applies them and keeps every edit positioned in the original input.

- controls: invisible and control characters, line endings
- rules: the packs' pattern rules (entities, artifacts, punctuation, line furniture)
- whitespace: canonical spacing (runs early as ``spacing`` and last as ``whitespace``)
- tail: trailing headline lists
- duplicates: paragraphs the article already holds
"""
