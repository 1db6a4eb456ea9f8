        .if FUZZ
             .if FUZZ/         .if      .word 1
        .else
        .error ""
on        .endif
     .   .ifdef D
        .endif.asciz "a\n\x42"
        .eneif
1:      beqz a0, 1b
           .endif  
      .ifdef D
        .endif.ascm     .if FUZZ/         .if FUZZ
  .if FUZZ
        .word    .error "no"
          .word 2
        .else
        .error ""
on        .endif
     .   .ifdef D
        .endif.asciz "z a0, 1b
           .endif  
a\n\x42"
        .eneif
1:      beqz a0, 1b
           .endif  
      .ifdef D
        .endif.ascmz "a\n\àßßßßÑ–™def D
        .endif.asciz "a\n\x     .endif.asciz "a\n\x42"
   . e  n  dif
1:     ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ beqz# hello a0, 1b
           .end .ifdef D
        .endif.ascmz "a\n\x42"
        .endif
1:e   b   qz a0, 1b$
           .word 1if
  ›àßßßßÑ–™def Dz "a\n\àßßßßÑ–™def D
        .endif.asciz "a\n\x     .endif.asciz "a\n\x42"
   . e  n  dif
1:     ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ beqz# hello a0, 1b
           .end .ifdef D
        .endif.ascmz "a\n\x42"
        .endif
1:e   b   qz a0, 1b$
           .word 1if
  ›àßßßßÑ–™def D
       lbli   t1, CONSOLE
1:      lbÿÿüÿ         # the next byte...
        beqrd 1ÿ  
      ÿ z a0, 2f    5, 0(t0)        ÿ          # print i|
         a.ÿÿddi a1, a1, 1
 ÿ 