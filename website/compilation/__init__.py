"""The compilation 典型案例汇编: one PDF book per campaign of its published cases.

`builder` gathers the published cases and renders the book with Typst (the same embedded OFL
Noto Sans SC font as the printable 申报书); `tasks.build_compilation` runs it in the background;
`signals` queues a rebuild when a case of the campaign is published or leaves `published`.
"""
