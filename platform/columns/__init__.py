"""Home page, column (栏目) pages and articles: the standard column skeleton of every site."""
