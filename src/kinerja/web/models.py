"""The web app keeps no table of its own: its rendered fragments are in Django's cache
(``kinerja.web.fragments``; migration 0002 dropped the old fragment tables). The module stays
so that ``migrate`` sends the web app its ``post_migrate``, which creates the database cache's
table and draws a new token (``WebConfig.ready``)."""
