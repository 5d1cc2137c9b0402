"""Thin views: check access, bind a form, call one service, redirect or render."""
