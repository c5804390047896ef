"""HTML pages of the catalog: public pages (`public`) and Creator Studio (`studio`)."""
