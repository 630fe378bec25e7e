"""Wangge (网格): the platform a town government runs its grassroots campaigns on."""
