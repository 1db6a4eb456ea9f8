# Unknown mnemonics, with a suggestion when one is close.
        adi  a0, a0, 1
        ADD  a0, a0, a1
        frobnicate a0
