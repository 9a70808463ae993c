from exporter.launch import main

main()
