"""What graphstage takes from langchain-core (the optional ``messages`` extra): chat
messages in the state (``add_messages``, ``MessagesState``) and ``stream_mode="messages"``.

Imported lazily: ``import graphstage`` works without langchain-core installed, and these
names fail with an error saying what to install only when they are used.
"""
