"""`python -m dashboards.server run dashboards/app.py ...`: Streamlit's own command line, in a process
that has already imported what every page needs (Plotly Express, pandas, DuckDB, the dashboard's modules).

Why: Streamlit runs the app's script inside the server process, so what is imported here is not
imported again when the first reader opens the first page: that first render is the page's own work,
not about a second of library imports (several seconds on a loaded machine). `streamlit_command` starts
the dashboard this way.
"""

import plotly.express  # noqa: F401 - imported for the pages, see above
from streamlit.web.cli import main

import dashboards.layout  # noqa: F401 - the dashboard's own modules (queries, filters, DuckDB, pandas)

if __name__ == "__main__":
    main(prog_name="streamlit")  # the name `python -m streamlit` gives, so the server sees the same command
