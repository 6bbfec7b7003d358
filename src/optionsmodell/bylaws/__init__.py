"""`optionsmodell import`: from a bylaw's own words to a draft configuration (issue 12).

reading.py reads a file (text, HTML, PDF) → sentences.py splits it into placed sentences →
extract.py reads values off sentences with the patterns of patterns.yaml → draft.py resolves them
into one body and renders YAML with the quoted sentence above each value (or JSON) →
provenance.py reads those quotes back so that `check` can show them beside each deciding fact.
"""
